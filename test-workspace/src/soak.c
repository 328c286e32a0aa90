/*
 * soak: writes soak_value = 1, 2, 3, ... in a tight loop, forever (for arm/disarm cycles: with a write
 * watchpoint armed, every write must be reported, so the values seen are consecutive).
 */
long soak_value = 0;

int main(void)
{
    for (long i = 1;; i++)
        soak_value = i; /* BP:soak-write */
    return 0;
}
