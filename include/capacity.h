/*
 * capacity: the analytic steady state of a model, computed from its
 * parameters alone: what `salescap check` prints before any simulation.
 * Per week unless named otherwise.
 */
#ifndef SALESCAP_CAPACITY_H
#define SALESCAP_CAPACITY_H

#include "params.h"

struct capacity {
    double eff;            /* mean rep effectiveness */
    double win_rate;       /* P(win | opportunity), approximated */
    double cycle_days;     /* buyer days + work at the selling pace */
    double sell_avail;     /* selling hours per rep */
    double sell_demand;    /* selling hours demanded per rep */
    double opps;           /* team opportunities */
    double wins, bookings; /* team */
    double ops_avail;
    double ops_start;  /* demanded with the initial clients */
    double clients_ss; /* steady-state clients; INFINITY if no churn */
    double ops_ss;     /* demanded at the steady state */
};

/* Fills c from p's model (its scenarios play no part). */
void capacity_compute(const struct params *p, struct capacity *c);

#endif
