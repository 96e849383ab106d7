// expect: loops over variables
OPENQASM 3.0;
include "stdgates.inc";
qubit[4] q;
int r = 2;
for int i in r { h q[i]; }