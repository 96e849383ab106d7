// expect: exponent of 'pow' must be a constant
OPENQASM 3.0;
include "stdgates.inc";
input float t;
qubit q;
pow(t) @ x q;