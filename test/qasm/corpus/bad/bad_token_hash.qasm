// expect: only '#pragma'
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
#define X 1
