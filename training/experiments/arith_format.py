"""Diagnostic: how fast does the student architecture learn the task's arithmetic lines alone
(`804+30=` -> `834`), results written most-significant digit first vs reversed?

    PYTHONPATH=. /usr/bin/python3 training/experiments/arith_format.py   (~12 min on a shared core)
"""
import random, sys, time, torch
from training.model import Config, Llama
from training.train import setup_torch, train, batches_of
from training.tokenizer import TOKENIZER as T
setup_torch(1)
def line(rng):
    op=rng.choice("+-*")
    if op=="*": a=rng.randint(10,249); b=rng.randint(2,5); r=a*b
    elif op=="+": a=rng.randint(10,1300); b=rng.randint(10,99); r=a+b
    else: a=rng.randint(20,1300); b=rng.randint(10,min(99,a-1)); r=a-b
    return "%d%s%d="%(a,op,b), str(r)
def run(reverse, steps):
    torch.manual_seed(0); rng=random.Random(0)
    m=Llama(Config(T.vocab_size,dim=80,n_layers=3,n_heads=4,n_kv_heads=4,ffn_dim=216,context_length=64))
    def ex():
        while True:
            q,r=line(rng); r=r[::-1] if reverse else r
            p=T.encode(q,add_bos=True); a=T.encode(r)+[T.eos_id]
            yield p+a,[0]*len(p)+[1]*len(a)
    t=time.time(); info=train(m,batches_of(ex(),32),steps,3e-3,warmup=50)
    trng=random.Random(123); qs=[line(trng) for _ in range(500)]
    m.eval()
    outs=m.generate([T.encode(q,add_bos=True) for q,_ in qs],8,eos_id=T.eos_id,pad_id=T.pad_id)
    acc=sum(T.decode([t for t in o if t!=T.eos_id])==(r[::-1] if reverse else r) for (o,_),(q,r) in zip(outs,qs))/500
    print("reverse=%s steps=%d acc=%.3f loss=%.3f %.0fs"%(reverse,steps,acc,info['final_loss'],time.time()-t),flush=True)
for steps in (600,1500):
    for rev in (False,True): run(rev,steps)
