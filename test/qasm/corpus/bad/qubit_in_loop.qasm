// expect: global scope
OPENQASM 3.0;
include "stdgates.inc";
for int i in [0:1] { qubit q; }