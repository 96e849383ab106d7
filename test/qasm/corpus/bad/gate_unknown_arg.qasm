// expect: 'b' is not a qubit argument
OPENQASM 3.0;
include "stdgates.inc";
gate g a { h b; }