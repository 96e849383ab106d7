// expect: expected ';' at the end of the statement, found identifier 'x' on line 6
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
h q
x q;