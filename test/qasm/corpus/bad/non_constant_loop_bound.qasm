// expect: loop end must be a constant
OPENQASM 3.0;
include "stdgates.inc";
input int n;
qubit[4] q;
for int i in [0:n] { h q[i]; }