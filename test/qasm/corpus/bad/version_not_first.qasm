// expect: must come first
qubit q;
OPENQASM 3.0;