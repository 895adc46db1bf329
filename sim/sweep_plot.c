/*
 * sweep_plot: the charts of a sweep folder (being written).
 */
#include "sweep.h"

int sweep_plot_dir(const char *dir, const char *plots_dir, unsigned formats,
                   struct err *e)
{
    (void)dir;
    (void)plots_dir;
    (void)formats;
    return err_set(e, ERR_RUNTIME, "sweep charts: not drawn yet");
}
