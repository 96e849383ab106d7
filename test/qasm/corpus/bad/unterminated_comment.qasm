// expect: unterminated block comment
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
/* start
h q;
