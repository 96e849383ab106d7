// expect: step cannot be 0
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
for int i in [0:0:3] { h q; }