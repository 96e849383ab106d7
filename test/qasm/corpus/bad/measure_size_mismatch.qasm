// expect: cannot measure 2 qubit\(s\) into 3 bit\(s\)
OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
bit[3] c;
c = measure q;