// expect: calls to 'valueOf'
OPENQASM 3.0;
qubit q;
rx(valueOf(1)) q;
