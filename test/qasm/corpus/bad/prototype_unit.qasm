// expect: malformed number '12constructor'
OPENQASM 3.0;
qubit q;
delay[12constructor] q;
