// expect: gate 'g' is already defined
OPENQASM 3.0;
include "stdgates.inc";
gate g a { h a; }
gate g a { x a; }