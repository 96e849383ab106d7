// expect: acts on 2 qubit\(s\) but got 3
OPENQASM 3.0;
include "stdgates.inc";
qubit[3] q;
cx q[0], q[1], q[2];