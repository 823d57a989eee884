def average(scores):
    total = sum([s["points"] for s in scores])
    return {"mean": total / max(len(scores), 1)}
