/*
 * config_number: the number keys of the model, for calibrate (config.h):
 * which keys it may fit, their values and ranges.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "config_int.h"

static const struct cfgk_table *const model_tables[] = {
    &cfgk_sales, &cfgk_operations, &cfgk_support, &cfgk_clients, &cfgk_market,
};

int config_number_key(const struct params *p, const char *section,
                      const char *key, double *value, double *min, double *max,
                      int *min_open, struct err *e)
{
    const struct cfgk_table *t = NULL;
    const void *base = NULL;
    for (size_t i = 0; i < N_KEYS(model_tables); i++)
        if (!strcmp(section, model_tables[i]->name)) {
            t = model_tables[i];
            base = cfgk_section_base(t, (struct params *)(void *)p);
        }
    if (!strncmp(section, "stage.", 6)) {
        t = &cfgk_stage;
        for (size_t i = 0; i < p->n_stages; i++)
            if (!strcmp(p->stages[i].name, section + 6))
                base = &p->stages[i];
        if (!base)
            return err_set(e, ERR_CONFIG, "the model has no [%s]", section);
    }
    if (!t)
        return err_set(e, ERR_CONFIG,
                       "[%s] holds nothing to fit: free keys "
                       "are numbers of [sales], [stage.NAME], [operations], "
                       "[support], [clients] or [market]",
                       section);
    const struct cfgk *k = NULL;
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->keys[i].key, key))
            k = &t->keys[i];
    if (!k)
        return err_set(e, ERR_CONFIG, "[%s] has no key '%s'", section, key);
    if (k->type == CFGK_INT)
        return err_set(e, ERR_CONFIG,
                       "[%s] %s is a whole number; calibrate "
                       "fits numbers that may take any value (try each "
                       "count with --set, or sweep it)",
                       section, key);
    if (k->type == CFGK_DIST)
        return err_set(e, ERR_CONFIG,
                       "[%s] %s is a distribution; calibrate "
                       "fits number keys",
                       section, key);
    if (k->type != CFGK_DOUBLE)
        return err_set(e, ERR_CONFIG, "[%s] %s is not a number", section, key);
    const char *field = (const char *)base + k->off;
    if (cfgk_uncertain_at(p, field))
        return err_set(e, ERR_CONFIG,
                       "[%s] %s is uncertain(); calibrate "
                       "fits keys that hold one number (write it as a "
                       "number to fit it)",
                       section, key);
    *value = *(const double *)(const void *)field;
    *min = k->min;
    *max = k->max;
    *min_open = (k->flags & CFGK_MIN_OPEN) != 0;
    return 0;
}
