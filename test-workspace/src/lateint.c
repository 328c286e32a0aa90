/*
 * lateint: blocks SIGINT, waits until one is pending (a debugger's pause: gdb interrupts with a SIGINT to the
 * process), reaches a breakpoint line, then unblocks it. Under a debugger the breakpoint's stop overtakes the
 * interrupt, whose SIGINT arrives only after the next resume: for the test that such a leftover is never shown
 * as a stop nor delivered to the program, which has no handler and would end.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    sigset_t interrupt, pending;
    sigemptyset(&interrupt);
    sigaddset(&interrupt, SIGINT);
    sigprocmask(SIG_BLOCK, &interrupt, NULL);
    printf("lateint: waiting\n");
    fflush(stdout);
    do {
        usleep(1000);
        sigpending(&pending);
    } while (!sigismember(&pending, SIGINT));
    printf("lateint: interrupt pending\n"); /* BP:lateint-pending */
    fflush(stdout);
    sigprocmask(SIG_UNBLOCK, &interrupt, NULL);
    printf("lateint: done\n");
    return 0;
}
