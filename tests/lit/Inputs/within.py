# within.py PLAN.json RESULT.json PERCENT: the speedup 'ramfit measure'
# measured is within PERCENT of the one the plan predicted.
import json
import sys

predicted = json.load(open(sys.argv[1]))["predicted_speedup"]
measured = json.load(open(sys.argv[2]))["speedup"]
error = abs(measured - predicted) / measured * 100
print("predicted %.3f measured %.3f: %.1f%% apart" % (predicted, measured, error))
sys.exit(0 if error <= float(sys.argv[3]) else 1)
