// expect: not a finite number
OPENQASM 3.0;
qubit q;
rx(1e308 * 10) q;
