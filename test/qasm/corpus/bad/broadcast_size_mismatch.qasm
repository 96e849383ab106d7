// expect: different sizes
OPENQASM 3.0;
include "stdgates.inc";
qubit[2] a;
qubit[3] b;
cx a, b;