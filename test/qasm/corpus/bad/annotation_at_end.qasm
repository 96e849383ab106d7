// expect: a statement after the annotation
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
@dangling
