import json,sys,collections
p=json.load(open(sys.argv[1]))
nodes={n['id']:n for n in p['nodes']}
self_time=collections.Counter()
samples=p['samples']; deltas=p['timeDeltas']
for s,d in zip(samples,deltas):
    n=nodes[s]; cf=n['callFrame']
    key=f"{cf['functionName'] or '(anon)'} {cf['url'].split('/')[-1]}:{cf['lineNumber']}"
    self_time[key]+=d
total=sum(self_time.values())
for k,v in self_time.most_common(40):
    print(f"{v/total*100:5.1f}% {k}")
# inclusive by url
inc=collections.Counter()
parent={}
for n in p['nodes']:
    for c in n.get('children',[]): parent[c]=n['id']
for s,d in zip(samples,deltas):
    seen=set(); i=s
    while i is not None:
        u=nodes[i]['callFrame']['url'].split('/')[-1]
        if u and u not in seen: inc[u]+=d; seen.add(u)
        i=parent.get(i)
print("--- inclusive by file")
for k,v in inc.most_common(25): print(f"{v/total*100:5.1f}% {k}")
