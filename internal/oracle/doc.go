// Package oracle holds only tests: it checks the analytics of package kg
// (partnership paths, overlap, similar actors, need matching, brokers,
// collaboration statistics) against NetworkX, an independent implementation, on
// generated ecosystems of 50 to 2,000 actors imported into the embedded
// store.
//
// The tests run the interpreter named by SAMVERKAN_PYTHON, else python3.
// Without NetworkX they skip, unless SAMVERKAN_REQUIRE_ORACLE=1, when they
// fail, so that CI cannot pass without the oracle having run.
package oracle
