/*
 * forkexec: writes fe_value, forks a child that writes it too, then execs itself with "after-exec",
 * whose image writes fe_value again and exits 4. For data breakpoints across fork (the child is not
 * covered and must not trap) and exec (watchpoints are removed with the old image).
 * Usage: forkexec
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

long fe_value = 0;

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "after-exec") == 0) {
        fe_value = 9;
        printf("forkexec: after exec, fe_value=%ld\n", fe_value);
        return 4;
    }
    fe_value = 1;
    pid_t child = fork();
    if (child == 0) {
        fe_value = 2;
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    fe_value = 3;
    printf("forkexec: child exited %d, fe_value=%ld\n", WEXITSTATUS(status), fe_value);
    fflush(stdout);
    execl("/proc/self/exe", argv[0], "after-exec", (char *)NULL);
    perror("execl");
    return 1;
}
