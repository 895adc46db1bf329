/*
 * runwall: runs a command and reports its wall time and peak resident
 * memory (getrusage of its only child, so no dependency on /usr/bin/time;
 * Linux reports ru_maxrss in KB).
 *
 * Output: rows "NAME_wall_s,SECONDS,s" and "NAME_peak_rss,KB,KB" on stdout
 * (see bench/run.sh); the command's own output goes to /dev/null.
 * Usage: runwall NAME COMMAND [ARG...]
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: runwall NAME COMMAND [ARG...]\n");
        return 2;
    }
    fflush(stdout);
    double t0 = now_s();
    pid_t pid = fork();
    if (pid < 0) {
        perror("runwall: fork");
        return 1;
    }
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (waitpid(pid, &status, 0) < 0 || getrusage(RUSAGE_CHILDREN, &ru)) {
        perror("runwall: waitpid");
        return 1;
    }
    double dt = now_s() - t0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "runwall: %s failed (status %d)\n", argv[2], status);
        return 1;
    }
    printf("%s_wall_s,%.4f,s\n", argv[1], dt);
    printf("%s_peak_rss,%ld,KB\n", argv[1], ru.ru_maxrss);
    return 0;
}
