import java.lang.management.ManagementFactory;
import java.util.concurrent.locks.LockSupport;
/** Two threads hand a token back and forth, each parking until woken: CPU time per hand-off. */
public class PingPong {
  static volatile int turn = 0;
  public static void main(String[] a) throws Exception {
    int n = Integer.parseInt(a[0]);
    Thread[] t = new Thread[2];
    for (int k = 0; k < 2; k++) {
      final int me = k;
      t[k] = new Thread(() -> {
        for (int i = 0; i < n; i++) {
          while (turn != me) LockSupport.park();
          turn = 1 - me;
          LockSupport.unpark(t[1 - me]);
        }
      });
    }
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long c0 = os.getProcessCpuTime(), w0 = System.nanoTime();
    t[0].start(); t[1].start(); t[0].join(); t[1].join();
    long c = os.getProcessCpuTime() - c0, w = System.nanoTime() - w0;
    System.out.printf("%d hand-offs: %.1f us CPU and %.1f us wall per hand-off%n", 2L * n, c / 1000.0 / (2.0 * n), w / 1000.0 / (2.0 * n));
  }
}
