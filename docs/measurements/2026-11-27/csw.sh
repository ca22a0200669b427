#!/bin/bash
# Context switches and CPU per order: launcher cluster, bench --target at RATE for 60 s after 120 s warm-up.
cd "$(dirname "$0")"  # base.jar: a copy of target/orderbus.jar next to this script
RATE=${1:-100}
java -jar base.jar cluster > csw-cluster.log 2>&1 &
CL=$!
until [ $(grep -c 'ORDERBUS READY' csw-cluster.log) -ge 3 ]; do sleep 2; done
PIDS=$(pgrep -f ' node --node-name' | tr '\n' ' ')
snap() { for p in $PIDS; do v=0; n=0; for t in /proc/$p/task/*/status; do a=$(awk '/^voluntary_ctxt/{print $2}' $t); b=$(awk '/^nonvoluntary_ctxt/{print $2}' $t); v=$((v+a)); n=$((n+b)); done; cpu=$(awk '{print $14+$15}' /proc/$p/stat); echo "$p $v $n $cpu"; done; }
java -jar base.jar bench orders --target http://127.0.0.1:8080 --admin-token change-me --rate $RATE --duration 200 --warmup 0 --idle 0 --ceiling-duration 0 > csw-load.log 2>&1 &
LD=$!
sleep 120; snap > csw-a.txt; date +%s.%N > csw-ta; sleep 60; snap > csw-b.txt; date +%s.%N > csw-tb
wait $LD
kill $CL; sleep 5; pkill -f ' node --node-name'
paste csw-a.txt csw-b.txt | awk -v r=$RATE '{dv=$6-$2; dn=$7-$3; dc=$8-$4; printf "pid %s: voluntary %d/s (%.1f per order), involuntary %d/s, cpu %.1f%% (%.2f ms/order)\n", $1, dv/60, dv/60/r, dn/60, dc/60, dc*10/60/r}'
