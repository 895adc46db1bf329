/*
 * text: small helpers on names and numbers that several modules share:
 * the suggestion for a mistyped name, and numbers read and written in
 * the C locale whatever the program's locale.
 *
 * Every function is pure (no state, no allocation) and safe to call from
 * several threads at once.
 */
#ifndef SALESCAP_TEXT_H
#define SALESCAP_TEXT_H

#include <stddef.h>

/* Optimal string alignment distance between a and b (insertions,
 * deletions, substitutions and transpositions of two neighbours, each
 * one edit), ignoring case; SIZE_MAX when either is longer than 63
 * bytes. */
size_t text_distance(const char *a, const char *b);

/* The candidate of cand[0, n) nearest to name by text_distance, or NULL
 * when none is close enough. The one rule of every "did you mean":
 * Assumption: a suggestion helps when at most a third of the candidate
 * (at least one edit, never more than three) differs. Ties go to the
 * first candidate. */
const char *text_suggest(const char *name, const char *const *cand, size_t n);

/* strtod in the C locale whatever the program's locale, so that a
 * scenario file means the same thing on every machine. Same contract as
 * strtod (end may be NULL). */
double text_strtod(const char *s, char **end);

/* Writes v to buf (of size bytes, at least 32 for every double to fit)
 * as %.10g when that reads back as v, else with the fewest digits (up to
 * 17) that do: a written value reproduces a run exactly. */
void text_number(double v, char *buf, size_t size);

#endif
