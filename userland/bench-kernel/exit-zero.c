/* The program fork-exec runs: a static glibc program that exits at once. */
int main(void) { return 0; }
