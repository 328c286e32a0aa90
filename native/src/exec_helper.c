/*
 * pwatch-exec: gdb's exec-wrapper for launched programs. gdb (13, startup-with-shell off) splits program
 * arguments on white space and parses some of them as its own options (-exec-arguments --all x loses
 * "--all"), so pwatch does not hand it the arguments at all: the exact path and argv travel hex-encoded in
 * PWATCH_EXEC_ARGV ("<hex path>" then ".<hex arg>" per argument), which this helper decodes, removes from
 * the environment, and execs. gdb counts the helper's exec and stops at the program's first instruction.
 *
 * With PWATCH_EXEC_TTY (a terminal of the editor's, console "integratedTerminal"), the helper makes that
 * terminal the program's standard input, output and error itself: gdb, given no inferior-tty, then does not
 * try to make it the program's controlling terminal (which fails, the terminal belonging to the editor's
 * shell) and print its warning there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decodes hex from `in` up to the next '.' or the end into a new string; NULL on bad input. */
static char *decode(const char **in)
{
    const char *start = *in;
    const char *end = strchr(start, '.');
    size_t len = end ? (size_t)(end - start) : strlen(start);
    if (len % 2 != 0)
        return NULL;
    char *out = malloc(len / 2 + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < len / 2; i++) {
        int hi = hexval(start[2 * i]), lo = hexval(start[2 * i + 1]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            free(out);
            return NULL;
        }
        out[i] = (char)(hi * 16 + lo);
    }
    out[len / 2] = '\0';
    *in = end ? end + 1 : start + len;
    return out;
}

int main(int argc, char **argv)
{
    const char *encoded = getenv("PWATCH_EXEC_ARGV");
    if (encoded == NULL) {
        /* Not started by pwatch: behave as a plain wrapper. */
        if (argc < 2)
            return 127;
        execv(argv[1], argv + 1);
        fprintf(stderr, "pwatch-exec: cannot execute %s: %s\n", argv[1], strerror(errno));
        return 127;
    }
    size_t count = 1;
    for (const char *p = encoded; *p; p++)
        count += *p == '.';
    char **args = calloc(count + 1, sizeof(char *));
    const char *at = encoded;
    for (size_t i = 0; args && i < count; i++) {
        args[i] = decode(&at);
        if (!args[i]) {
            fprintf(stderr, "pwatch-exec: malformed PWATCH_EXEC_ARGV\n");
            return 127;
        }
    }
    if (!args)
        return 127;
    unsetenv("PWATCH_EXEC_ARGV");
    const char *tty = getenv("PWATCH_EXEC_TTY");
    if (tty != NULL) {
        int fd = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
            fprintf(stderr, "pwatch-exec: cannot open the terminal %s: %s\n", tty, strerror(errno));
            return 127;
        }
        /* dup2 clears close-on-exec on the copies: the program keeps 0, 1 and 2 and nothing else of this. */
        if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) {
            fprintf(stderr, "pwatch-exec: cannot use the terminal %s: %s\n", tty, strerror(errno));
            return 127;
        }
        if (fd > 2)
            close(fd);
        unsetenv("PWATCH_EXEC_TTY");
    }
    /* argv[0] as a shell would give it: the path the user named. */
    execv(args[0], args);
    fprintf(stderr, "pwatch-exec: cannot execute %s: %s\n", args[0], strerror(errno));
    return 127;
}
