#!/bin/bash
# Live heap after a full GC, per node, every 60 s of 400 orders/s (default settings: orderRetention PT168H, -Xmx384m).
cd "$(dirname "$0")"  # base.jar: a copy of target/orderbus.jar next to this script
java -jar base.jar cluster > heap-cluster.log 2>&1 &
CL=$!
until [ $(grep -c 'ORDERBUS READY' heap-cluster.log) -ge 3 ]; do sleep 2; done
PIDS=$(pgrep -f ' node --node-name' | tr '\n' ' ')
java -jar base.jar bench orders --target http://127.0.0.1:8080 --admin-token change-me --rate 400 --duration 300 --warmup 0 --idle 0 --ceiling-duration 0 > heap-load.log 2>&1 &
LD=$!
for m in 1 2 3 4 5; do
  sleep 60
  for p in $PIDS; do jcmd $p GC.run > /dev/null; used=$(jcmd $p GC.heap_info | grep -o 'used [0-9]*K' | head -1); echo "t=${m}min pid $p heap $used"; done
done
wait $LD
kill $CL; sleep 5; pkill -f ' node --node-name'
