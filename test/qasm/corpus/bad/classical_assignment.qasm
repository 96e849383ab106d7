// expect: classical assignments
OPENQASM 3.0;
include "stdgates.inc";
int x;
x = 3;