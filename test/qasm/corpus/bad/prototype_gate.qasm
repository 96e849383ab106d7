// expect: undefined gate 'constructor'
OPENQASM 3.0;
qubit q;
constructor q;
