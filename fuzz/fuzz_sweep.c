/*
 * fuzz_sweep: libFuzzer harness of the sweep-file parser.
 *
 * The input is up to three parts separated by "\n#@@\n" (fuzz_files.h):
 * sweep.ini, model.ini (which the sweep file names with file = ...) and
 * inc.ini (which model.ini may include). The harness loads the sweep
 * (sweep_load) and, for a grid of at most 64 points, prepares it
 * (sweep_prepare resolves every point) and builds the CSV header and
 * every point's label. It checks that a failure carries a message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_files.h"
#include "sweep.h"

static void check_error(const struct err *e)
{
    if (e->kind == ERR_NONE || e->msg[0] == '\0') {
        fprintf(stderr, "fuzz_sweep: a failure without a message\n");
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_parts fp;
    fuzz_split(data, size, &fp);
    const char *path = fuzz_write(&fp, 0, "sweep.ini");
    fuzz_write(&fp, 1, "model.ini");
    fuzz_write(&fp, 2, "inc.ini");

    struct sweep sw = {0};
    struct err e = {0};
    if (sweep_load(&sw, path, &e) != 0) {
        check_error(&e);
        return 0;
    }
    if (sw.n_points <= 64) {
        if (sweep_prepare(&sw, &e) != 0) {
            check_error(&e);
        } else {
            char *h = sweep_csv_header(&sw);
            if (!h)
                abort();
            free(h);
            char label[512];
            for (size_t i = 0; i < sw.n_points; i++) {
                sweep_point_label(&sw, i, label, sizeof label);
                (void)sweep_point_scenario(&sw, i);
            }
        }
    }
    sweep_destroy(&sw);
    return 0;
}
