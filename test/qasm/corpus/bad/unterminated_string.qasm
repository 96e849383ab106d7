// expect: unterminated string
OPENQASM 3.0;
include "stdgates.inc";
include "stdgates.inc
qubit q;