"""read_model"""
