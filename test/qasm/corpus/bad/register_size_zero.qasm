// expect: size 0
OPENQASM 3.0;
include "stdgates.inc";
qubit[0] q;