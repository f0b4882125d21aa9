def seed_marketplace(log):
    pass
