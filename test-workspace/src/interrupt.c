/*
 * interrupt: waits for a SIGINT, which its own handler catches, then says so and exits 0. For the test that
 * Ctrl-C in the program's terminal reaches the program (after the stop the debugger shows).
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t interrupted;

static void on_sigint(int signo)
{
    (void)signo;
    interrupted = 1;
}

int main(void)
{
    signal(SIGINT, on_sigint);
    printf("interrupt: waiting\n");
    fflush(stdout);
    while (!interrupted)
        pause();
    printf("interrupt: got SIGINT\n"); /* BP:interrupt-got */
    return 0;
}
