// expect: index -3 is out of range
OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
x q[-3];