// expect: qubit q\[1\] is used twice
OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
cx q[1], q[1];