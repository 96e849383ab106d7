// expect: takes 1 parameter\(s\) but got 0
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
rx q;