// expect: undefined gate 'frobnicate'
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
frobnicate q;