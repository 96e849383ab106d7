// expect: undefined bit register 'c'
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
c[0] = measure q;