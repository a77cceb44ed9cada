# within.py RESULT.json PERCENT: the speedup 'ramfit measure --plan'
# measured is within PERCENT of the one the plan predicted.
import json
import sys

result = json.load(open(sys.argv[1]))
predicted, measured = result["predicted_speedup"], result["speedup"]
error = abs(measured - predicted) / measured * 100
print("predicted %.3f measured %.3f: %.1f%% apart" % (predicted, measured, error))
sys.exit(0 if error <= float(sys.argv[2]) else 1)
