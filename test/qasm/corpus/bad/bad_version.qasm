// expect: unsupported OpenQASM version
OPENQASM 4.0;
qubit q;