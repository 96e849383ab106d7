// expect: acts on 3 qubit\(s\)
OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
ctrl @ cx q[0], q[1];