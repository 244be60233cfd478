package io.courier.rpc.benchmark.grpc;

import io.courier.rpc.benchmark.UserService;
import io.courier.rpc.benchmark.grpc.proto.BoolReply;
import io.courier.rpc.benchmark.grpc.proto.ExistUserRequest;
import io.courier.rpc.benchmark.grpc.proto.GetUserRequest;
import io.courier.rpc.benchmark.grpc.proto.ListUserRequest;
import io.courier.rpc.benchmark.grpc.proto.PageProto;
import io.courier.rpc.benchmark.grpc.proto.UserGrpcServiceGrpc;
import io.courier.rpc.benchmark.grpc.proto.UserProto;
import io.grpc.stub.StreamObserver;

/**
 * The gRPC service: unwraps each request, calls the shared {@link UserService} and maps its
 * result to a message.
 *
 * <p>Thread-safe (the delegate is).
 */
final class GrpcUserService extends UserGrpcServiceGrpc.UserGrpcServiceImplBase {

    private static final BoolReply TRUE = BoolReply.newBuilder().setValue(true).build();
    private static final BoolReply FALSE = BoolReply.newBuilder().setValue(false).build();

    private final UserService delegate;

    GrpcUserService(UserService delegate) {
        this.delegate = delegate;
    }

    @Override
    public void existUser(ExistUserRequest request, StreamObserver<BoolReply> responses) {
        reply(responses, delegate.existUser(request.getEmail()) ? TRUE : FALSE);
    }

    @Override
    public void getUser(GetUserRequest request, StreamObserver<UserProto> responses) {
        reply(responses, ProtoMapper.toProto(delegate.getUser(request.getId())));
    }

    @Override
    public void listUser(ListUserRequest request, StreamObserver<PageProto> responses) {
        reply(responses, ProtoMapper.toProto(delegate.listUser(request.getPageNo())));
    }

    @Override
    public void createUser(UserProto request, StreamObserver<BoolReply> responses) {
        reply(responses, delegate.createUser(ProtoMapper.fromProto(request)) ? TRUE : FALSE);
    }

    private static <T> void reply(StreamObserver<T> responses, T value) {
        responses.onNext(value);
        responses.onCompleted();
    }
}
