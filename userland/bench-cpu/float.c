/*
 * x87 floating-point benchmark (built -mfpmath=387 -mno-sse): the n-body
 * simulation of the Computer Language Benchmarks Game (five planets; fsqrt via
 * __builtin_sqrt with -fno-math-errno), a Mandelbrot escape-count grid, and
 * spectral-norm. Checksums print the exact IEEE bits of the double results, so
 * any rounding difference from the real x87 (extended precision, control word
 * 0x037f) shows.
 */
#include "runtime.h"

const u32 bench_default_scale = 48;

#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define BODIES 5

typedef struct {
  double x, y, z, vx, vy, vz, mass;
} Body;

static Body bodies[BODIES];

static void nbody_init(void) {
  static const Body initial[BODIES] = {
      {0, 0, 0, 0, 0, 0, SOLAR_MASS},
      {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
       1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
       -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS},
      {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
       -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
       2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS},
      {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
       2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
       -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS},
      {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
       2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
       -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS},
  };
  for (int i = 0; i < BODIES; i++) bodies[i] = initial[i];
  double px = 0, py = 0, pz = 0;
  for (int i = 0; i < BODIES; i++) {
    px += bodies[i].vx * bodies[i].mass;
    py += bodies[i].vy * bodies[i].mass;
    pz += bodies[i].vz * bodies[i].mass;
  }
  bodies[0].vx = -px / SOLAR_MASS;
  bodies[0].vy = -py / SOLAR_MASS;
  bodies[0].vz = -pz / SOLAR_MASS;
}

static void nbody_advance(double dt) {
  for (int i = 0; i < BODIES; i++) {
    for (int j = i + 1; j < BODIES; j++) {
      double dx = bodies[i].x - bodies[j].x, dy = bodies[i].y - bodies[j].y, dz = bodies[i].z - bodies[j].z;
      double distance_squared = dx * dx + dy * dy + dz * dz;
      double distance = __builtin_sqrt(distance_squared);
      double magnitude = dt / (distance_squared * distance);
      bodies[i].vx -= dx * bodies[j].mass * magnitude;
      bodies[i].vy -= dy * bodies[j].mass * magnitude;
      bodies[i].vz -= dz * bodies[j].mass * magnitude;
      bodies[j].vx += dx * bodies[i].mass * magnitude;
      bodies[j].vy += dy * bodies[i].mass * magnitude;
      bodies[j].vz += dz * bodies[i].mass * magnitude;
    }
  }
  for (int i = 0; i < BODIES; i++) {
    bodies[i].x += dt * bodies[i].vx;
    bodies[i].y += dt * bodies[i].vy;
    bodies[i].z += dt * bodies[i].vz;
  }
}

static double nbody_energy(void) {
  double energy = 0;
  for (int i = 0; i < BODIES; i++) {
    const Body *b = &bodies[i];
    energy += 0.5 * b->mass * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
    for (int j = i + 1; j < BODIES; j++) {
      double dx = b->x - bodies[j].x, dy = b->y - bodies[j].y, dz = b->z - bodies[j].z;
      energy -= b->mass * bodies[j].mass / __builtin_sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return energy;
}

static u32 mandelbrot(u32 side, u32 max_iterations) {
  u32 total = 0;
  for (u32 py = 0; py < side; py++) {
    double ci = 2.0 * py / side - 1.0;
    for (u32 px = 0; px < side; px++) {
      double cr = 2.5 * px / side - 2.0, zr = 0, zi = 0;
      u32 n = 0;
      while (n < max_iterations && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        n++;
      }
      total = total * 3 + n;
    }
  }
  return total;
}

#define SPECTRAL_N 100
static double vector_u[SPECTRAL_N], vector_v[SPECTRAL_N], vector_t[SPECTRAL_N];

static double matrix_a(int i, int j) { return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1); }

static void multiply_av(const double *v, double *out) {
  for (int i = 0; i < SPECTRAL_N; i++) {
    double sum = 0;
    for (int j = 0; j < SPECTRAL_N; j++) sum += matrix_a(i, j) * v[j];
    out[i] = sum;
  }
}

static void multiply_atv(const double *v, double *out) {
  for (int i = 0; i < SPECTRAL_N; i++) {
    double sum = 0;
    for (int j = 0; j < SPECTRAL_N; j++) sum += matrix_a(j, i) * v[j];
    out[i] = sum;
  }
}

static double spectral_norm(int iterations) {
  for (int i = 0; i < SPECTRAL_N; i++) vector_u[i] = 1;
  for (int k = 0; k < iterations; k++) {
    multiply_av(vector_u, vector_t);
    multiply_atv(vector_t, vector_v);
    multiply_av(vector_v, vector_t);
    multiply_atv(vector_t, vector_u);
  }
  double vbv = 0, vv = 0;
  for (int i = 0; i < SPECTRAL_N; i++) {
    vbv += vector_u[i] * vector_v[i];
    vv += vector_v[i] * vector_v[i];
  }
  return __builtin_sqrt(vbv / vv);
}

static u64 double_bits(double value) {
  union {
    double d;
    u64 bits;
  } pun = {value};
  return pun.bits;
}

void bench_main(u32 scale) {
  nbody_init();
  double energy_before = nbody_energy();
  for (u32 step = 0; step < scale * 5000; step++) nbody_advance(0.01);
  double energy_after = nbody_energy();
  u32 mandelbrot_sum = 0;
  for (u32 round = 0; round < scale; round++) mandelbrot_sum = mandelbrot_sum * 5 + mandelbrot(48 + (round & 15), 100);
  /* Several short power iterations rather than one long one: the work stays linear in the scale. */
  double norm_sum = 0;
  for (u32 round = 0; round < scale; round += 4) norm_sum += spectral_norm(2 + (int)(round & 7));
  print_checksum64("nbody-before", double_bits(energy_before));
  print_checksum64("nbody-after", double_bits(energy_after));
  print_checksum32("mandelbrot", mandelbrot_sum);
  print_checksum64("spectral-norm", double_bits(norm_sum));
}
