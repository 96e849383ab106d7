// expect: cannot be mixed
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
h $0;