// expect: UNSUPPORTED: 'if'
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
bit c;
if (c) x q;