// expect: finite number
OPENQASM 3.0;
qubit q;
pow(2 ** 2000) @ x q;
